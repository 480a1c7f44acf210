#!/usr/bin/env python3
"""Inflates an Envoy config dump to a target size by replicating its EDS section under distinct cluster names.

Used by bench/dumps/large-dump.sh to build the 500 MB dump that `analyze --dump` reads with a bounded heap:
    inflate-dump.py IN.json OUT.json TARGET_MB
The dump's other sections are written unchanged; each extra copy of a ClusterLoadAssignment gets the cluster name
suffixed with `-copyN`, so a reader sees that many more endpoints (as a proxy of a bigger mesh would hold).
"""
import json
import sys

src, dst, target_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
dump = json.load(open(src))
eds = next(c for c in dump["configs"] if c["@type"].endswith("EndpointsConfigDump"))
key = "dynamicEndpointConfigs" if "dynamicEndpointConfigs" in eds else "dynamic_endpoint_configs"
original = eds[key]
eds[key] = []
head = json.dumps(dump, indent=2)
marker = '"%s": []' % key
prefix, suffix = head.split(marker, 1)
one_copy = sum(len(json.dumps(e, indent=2)) + 2 for e in original)
copies = max(1, (target_mb * 1_000_000 - len(head)) // one_copy + 1)
with open(dst, "w") as out:
    out.write(prefix + '"%s": [\n' % key)
    first = True
    for n in range(copies):
        for entry in original:
            if n > 0:
                cfg = entry.get("endpointConfig") or entry.get("endpoint_config")
                name_key = "clusterName" if "clusterName" in cfg else "cluster_name"
                cfg = dict(cfg)
                cfg[name_key] = cfg[name_key] + "-copy%d" % n
                entry = dict(entry)
                entry["endpointConfig" if "endpointConfig" in entry else "endpoint_config"] = cfg
            out.write(("" if first else ",\n") + json.dumps(entry, indent=2))
            first = False
    out.write("\n]" + suffix + "\n")
print("%s: %d copies of %d endpoint configs" % (dst, copies, len(original)))
