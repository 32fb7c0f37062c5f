#!/usr/bin/env python3
"""The peer side of the money benchmark: polars doing the same import of a
Tronscan export and the fan-in and pass-through group-bys.

    python3 bench/money_polars.py FILE.csv

Import: read the CSV (all columns as text, as Qorgau reads them), parse
the time and the amount. Fan-in: per receiver and asset, distinct senders
within any 24-hour window (a rolling window per receiver ending at each
transfer), kept when at least 5. Pass-through: per account and asset,
each departure matched (as-of join, backward) with the latest arrival at
the same account within 6 hours; accounts where such departures carry at
least 80 % of what arrived and that had at least 3 arrivals. These are the
group-by forms of Qorgau's rules (Qorgau matches departures to arrivals
first-in first-out, which a group-by cannot express), so the counts of
flagged accounts are compared, not expected to be identical.
Prints one JSON line with the timings and counts.
"""
import json
import sys
import time

import polars as pl


def main() -> None:
    path = sys.argv[1]
    t0 = time.perf_counter()
    df = pl.read_csv(path, infer_schema=False).select(
        pl.col("Time(UTC)").str.to_datetime("%Y-%m-%d %H:%M:%S", time_zone="UTC").alias("t"),
        pl.col("From").alias("src"),
        pl.col("To").alias("dst"),
        pl.col("Amount/TokenID").str.replace_all(",", "").cast(pl.Decimal(38, 18)).alias("amount"),
        pl.col("Token").alias("asset"),
    )
    t1 = time.perf_counter()
    fan = (
        df.sort("dst", "asset", "t")
        .rolling(index_column="t", period="24h", group_by=["dst", "asset"])
        .agg(pl.col("src").n_unique().alias("senders"))
        .group_by("dst", "asset")
        .agg(pl.col("senders").max())
        .filter(pl.col("senders") >= 5)
    )
    fan_n = fan.height
    t2 = time.perf_counter()
    arrivals = df.select(
        pl.col("dst").alias("acct"), "asset", pl.col("t").alias("t_in"), pl.col("amount").alias("in_amount")
    ).sort("t_in")
    departures = df.select(
        pl.col("src").alias("acct"), "asset", pl.col("t").alias("t_out"), pl.col("amount").alias("out_amount")
    ).sort("t_out")
    matched = departures.join_asof(
        arrivals, left_on="t_out", right_on="t_in", by=["acct", "asset"], strategy="backward",
        tolerance="6h",
    ).filter(pl.col("t_in").is_not_null())
    fast = matched.group_by("acct", "asset").agg(pl.col("out_amount").sum().alias("fast"))
    totals = arrivals.group_by("acct", "asset").agg(
        pl.col("in_amount").sum().alias("total_in"), pl.len().alias("arrivals")
    )
    passed = (
        totals.join(fast, on=["acct", "asset"])
        .filter((pl.col("arrivals") >= 3) & (pl.col("fast") >= pl.col("total_in") * 0.8))
    )
    pass_n = passed.height
    t3 = time.perf_counter()
    print(json.dumps({
        "tool": f"polars {pl.__version__}",
        "rows": df.height,
        "import_s": round(t1 - t0, 3),
        "fan_in_s": round(t2 - t1, 3),
        "pass_through_s": round(t3 - t2, 3),
        "total_s": round(t3 - t0, 3),
        "fan_in_accounts": fan_n,
        "pass_through_accounts": pass_n,
    }))


if __name__ == "__main__":
    main()
