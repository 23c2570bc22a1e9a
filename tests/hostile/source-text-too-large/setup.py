import shutil


def setup(tmp_path, base, built_release):
    dataset = tmp_path / "dataset"
    shutil.copytree(base, dataset)
    with (dataset / "sources" / "src-fixture.txt").open("a", encoding="utf-8") as fh:
        fh.write("نص " * ((5 << 20) // 5 + 1))
    return dataset
