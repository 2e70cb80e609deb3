"""Reference for bench/roster.ts: the same shift-covering integer program solved by SciPy's
milp (native HiGHS), timed over repeats. Reads the model as JSON on stdin:
{"cost": [...], "rows": [[column indices], ...], "required": [...], "repeats": n}
and prints {"objective", "lpBound", "mipSeconds", "lpSeconds"} (medians)."""
import json
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

m = json.load(sys.stdin)
c = np.array(m["cost"], dtype=float)
n = len(c)
data, ind, ptr = [], [], [0]
for row in m["rows"]:
    ind.extend(row)
    data.extend([1.0] * len(row))
    ptr.append(len(ind))
A = csr_matrix((data, ind, ptr), shape=(len(m["rows"]), n))
cons = LinearConstraint(A, lb=np.array(m["required"], dtype=float), ub=np.inf)
bounds = Bounds(0, np.inf)


def run(integer):
    t = time.perf_counter()
    r = milp(c, constraints=cons, bounds=bounds, integrality=np.ones(n) if integer else np.zeros(n),
             options={"mip_rel_gap": 0})
    return time.perf_counter() - t, r


mip, lp = [], []
for _ in range(m["repeats"]):
    t, r_mip = run(True)
    mip.append(t)
    t, r_lp = run(False)
    lp.append(t)
print(json.dumps({"objective": r_mip.fun, "lpBound": r_lp.fun, "status": r_mip.message,
                  "mipSeconds": float(np.median(mip)), "lpSeconds": float(np.median(lp))}))
