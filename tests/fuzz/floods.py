"""Time the rules-only check of a 1 MB article of each flood shape: ``python -m tests.fuzz.floods [SHAPE…]``."""

from __future__ import annotations

import sys
import time

from qa.config import Config
from qa.engine import check
from qa.rules.family import RuleChecker
from qa.model import Article

cfg = Config().switched(embeddings=False, languagetool=False)
rc = RuleChecker(cfg)
shapes = {". ": ". ", "a\\n": "a\n", "said. ": "said. ", "hot talks": "the very hot talks ", "zh": "中文。", "quote": "“a ", "paren": "(a ", "para": "a.\n\n", "Mr": "Mr. ", "dots": "... ", "words": "Kim Jong Un and Kim Jong-un ", "caps": "A B C ", "qq": "“x” ", "commas": ",, ", "ex": "! ", "qmarks": "?", "stops": "."}
only = sys.argv[1:]
for name, unit in shapes.items():
    if only and name not in only: continue
    body = unit * (1_000_000 // len(unit))
    t = time.time(); c = time.process_time(); rep = check([Article("x", "x", "Head", body)], cfg, checkers=[rc])
    print(f"{name:10} wall {time.time()-t:5.2f}s cpu {time.process_time()-c:5.2f}s findings {len(rep.articles[0].issues)}", flush=True)
