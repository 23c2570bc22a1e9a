import shutil


def setup(tmp_path, base, built_release):
    dataset = tmp_path / "dataset"
    shutil.copytree(base, dataset)
    with (dataset / "sources" / "src-fixture.txt").open("ab") as fh:
        fh.write(b"\0" * (1 << 20))
    return dataset
