def mutate(release, helpers):
    (release / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    helpers.rehash(release, "datapackage.json")
