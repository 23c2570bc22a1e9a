def mutate(release, helpers):
    helpers.set_resource(release, "events", hash="sha256:" + "0" * 64)
