def mutate(release, helpers):
    helpers.edit_descriptor(release, lambda d: d["resources"].append({"name": ["events"], "path": "events.csv"}))
