def mutate(release, helpers):
    helpers.edit_descriptor(release, lambda d: d.pop("schema_version"))
