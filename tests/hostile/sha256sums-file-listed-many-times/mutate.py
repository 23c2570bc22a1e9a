def mutate(release, helpers):
    sums = release / "SHA256SUMS"
    line = next(line for line in sums.read_text(encoding="utf-8").splitlines() if line.endswith("  events.parquet"))
    sums.write_text(sums.read_text(encoding="utf-8") + (line + "\n") * 5000, encoding="utf-8")
