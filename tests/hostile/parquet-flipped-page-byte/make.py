def make(tmp_path, release):
    import pyarrow.parquet as pq

    source = release / "events.parquet"
    chunk = pq.ParquetFile(source).metadata.row_group(0).column(0)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data = bytearray(source.read_bytes())
    data[start + chunk.total_compressed_size - 2] ^= 0xFF  # inside the last page's body
    path = tmp_path / "events.parquet"
    path.write_bytes(bytes(data))
    return path
