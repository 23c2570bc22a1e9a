import shutil


def setup(tmp_path, base, built_release):
    dataset = tmp_path / "dataset"
    shutil.copytree(base, dataset)
    text = dataset / "sources" / "src-fixture.txt"
    outside = tmp_path / "outside.txt"
    outside.write_bytes(text.read_bytes())
    text.unlink()
    text.symlink_to(outside)
    return dataset
