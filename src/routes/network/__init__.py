"""Network scale: route matrices over many airport pairs, on Dask, resumable.

`routes.matrix` (in `routes.network.job`) is the front door; `pairs` selects airports and pairs,
`work` computes a partition's rows on a worker, `store` keeps the output folder.
"""
