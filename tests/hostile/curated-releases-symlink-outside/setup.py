import shutil


def setup(tmp_path, base, built_release):
    dataset = tmp_path / "dataset"
    shutil.copytree(base, dataset)
    shutil.copytree(built_release, tmp_path / "elsewhere" / "1.0.0")
    (dataset / "releases").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    return dataset
