import shutil


def setup(tmp_path, base, built_release):
    dataset = tmp_path / "dataset"
    shutil.copytree(base, dataset)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text("actors: [HOSTILE-OUTSIDE-MARKER\n", encoding="utf-8")
    (dataset / "curated" / "elsewhere").symlink_to(outside, target_is_directory=True)
    return dataset
