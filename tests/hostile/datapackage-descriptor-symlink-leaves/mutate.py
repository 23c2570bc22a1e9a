def mutate(release, helpers):
    outside = release.parent / "outside.json"
    outside.write_bytes((release / "datapackage.json").read_bytes())
    (release / "datapackage.json").unlink()
    (release / "datapackage.json").symlink_to(outside)
