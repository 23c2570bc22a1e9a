def mutate(release, helpers):
    def edit(descriptor):
        descriptor["row_counts"]["events"] += 1

    helpers.edit_descriptor(release, edit)
