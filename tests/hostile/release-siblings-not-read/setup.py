import shutil


def setup(tmp_path, base, built_release):
    shutil.copytree(built_release, tmp_path / "downloads" / "1.0.0")
    shutil.copytree(built_release, tmp_path / "downloads" / "2.0.0")
    return tmp_path / "downloads" / "2.0.0"
