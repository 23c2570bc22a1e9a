def mutate(release, helpers):
    # events.csv becomes junk (rehashed) and the 'events' (CSV) resource points at events.parquet instead,
    # with that file's hash: both forms of the table would then read the same Parquet file.
    (release / "events.csv").write_bytes(b"junk\r\n")
    helpers.rehash(release, "events.csv")
    digest = next(line.split()[0] for line in (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
                  if line.endswith("  events.parquet"))
    helpers.set_resource(release, "events", path="events.parquet", hash=f"sha256:{digest}")
