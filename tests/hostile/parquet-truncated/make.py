def make(tmp_path, release):
    data = (release / "events.parquet").read_bytes()
    path = tmp_path / "events.parquet"
    path.write_bytes(data[: len(data) // 2])
    return path
