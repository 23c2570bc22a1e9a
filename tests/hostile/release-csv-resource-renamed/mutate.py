def mutate(release, helpers):
    # events.csv gets a bad id (rehashed), and its resource is renamed so no table claims it.
    text = (release / "events.csv").read_text(encoding="utf-8")
    (release / "events.csv").write_text(text.replace("\r\nevt-", "\r\n=HYPERLINK(1)evt-", 1), encoding="utf-8")
    helpers.rehash(release, "events.csv")

    def rename(descriptor):
        for resource in descriptor["resources"]:
            if resource["name"] == "events":
                resource["name"] = "events-old"

    helpers.edit_descriptor(release, rename)
