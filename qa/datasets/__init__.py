"""One reader per dataset, shared by ``qa.bench`` (scoring) and ``qa.learned`` (training).

``mlqe`` reads MLQE-PE, ``mqm_spans`` the WMT zh-en MQM span files of the training data,
``mqm_ratings`` the WMT MQM side-by-side rater TSV, ``garbled_news`` the garbled-news splits and
their annotated phrases; ``training`` joins the first two into word-labelled ``Example``
sentences; ``locations`` finds each data set under ``shared/``.
"""
