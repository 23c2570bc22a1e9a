import shutil


def setup(tmp_path, base, built_release):
    dataset = tmp_path / "dataset"
    shutil.copytree(base, dataset)
    (dataset / "curated" / "dangling.yaml").symlink_to(dataset / "curated" / "nothing-here.yaml")
    return dataset
