"""Running the stages: the runner (stage order, cache, tables written), the output folder and
manifest, stage timings, Dask, studies of many boards."""
