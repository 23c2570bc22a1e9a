def mutate(release, helpers):
    (release / "datapackage.json").write_bytes(b"")
    helpers.rehash(release, "datapackage.json")
