def mutate(release, helpers):
    helpers.edit_descriptor(release, lambda d: d.update(schema_version="2.0.0"))
