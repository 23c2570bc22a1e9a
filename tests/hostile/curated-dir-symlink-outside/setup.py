import shutil


def setup(tmp_path, base, built_release):
    dataset = tmp_path / "dataset"
    shutil.copytree(base, dataset)
    shutil.move(dataset / "curated", tmp_path / "elsewhere")
    (tmp_path / "elsewhere" / "marker.yaml").write_text("actors: [HOSTILE-OUTSIDE-MARKER\n", encoding="utf-8")
    (dataset / "curated").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    return dataset
