def mutate(release, helpers):
    # events.csv gets a bad id (rehashed), and its resource is removed from datapackage.json.
    text = (release / "events.csv").read_text(encoding="utf-8")
    (release / "events.csv").write_text(text.replace("\r\nevt-", "\r\n=HYPERLINK(1)evt-", 1), encoding="utf-8")
    helpers.rehash(release, "events.csv")
    helpers.edit_descriptor(release, lambda d: d.__setitem__("resources", [r for r in d["resources"] if r["name"] != "events"]))
