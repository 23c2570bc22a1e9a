import shutil


def setup(tmp_path, base, built_release):
    dataset = tmp_path / "dataset"
    shutil.copytree(base, dataset)
    link = dataset / "curated" / "loop.yaml"
    link.symlink_to(link)
    return dataset
