import shutil


def setup(tmp_path, base, built_release):
    dataset = tmp_path / "dataset"
    shutil.copytree(base, dataset)
    outside = tmp_path / "outside.yaml"
    outside.write_text("actors: [HOSTILE-OUTSIDE-MARKER\n", encoding="utf-8")
    (dataset / "curated" / "outside.yaml").symlink_to(outside)
    return dataset
