import shutil


def setup(tmp_path, base, release):
    dataset = tmp_path / "dataset"
    shutil.copytree(base, dataset)
    (dataset / "curated" / "extra.yaml").write_text("actors: [" + "1, " * 150_000 + "1]\n", encoding="utf-8")
    return dataset
