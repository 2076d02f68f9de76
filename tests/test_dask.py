"""The batch on a Dask cluster writes the same dataset as on local workers."""

from __future__ import annotations

import distributed
from conftest import CORPUS, SEED
from test_batch import _tree, batch

INPUTS = [str(CORPUS / "github"), str(CORPUS / "kiro"), str(SEED)]


def test_dask_cluster_writes_byte_identical_outputs(tmp_path):
    local = tmp_path / "local"
    batch(local, inputs=INPUTS)
    # In-process workers keep the test fast; the client talks to it by address like to a remote one.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        outcome = batch(tmp_path / "dask", inputs=INPUTS, engine="dask", scheduler=cluster.scheduler_address)
    assert outcome.extracted == len(outcome.entries) == 27
    assert (tmp_path / "dask" / "cells.csv").read_bytes() == (local / "cells.csv").read_bytes()
    assert _tree(tmp_path / "dask") == _tree(local)


def test_engine_dask_starts_its_own_local_cluster(tmp_path):
    outcome = batch(tmp_path / "dask", inputs=[str(SEED), str(CORPUS / "github" / "004_pingtan_2021.txt")],
                    engine="dask", jobs=1)
    assert outcome.stats.reports == 2
