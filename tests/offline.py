"""A child-process preamble that records every attempt to reach the network, for the offline-loading tests."""

from __future__ import annotations

import os

# Sockets that would leave the machine fail and are counted; the hub's offline variables are unset,
# so only the loaders' own arguments keep them off the network.
NO_NETWORK = r'''
import json, os, socket, sys

tried = []


def refuse(*args, **kwargs):
    tried.append(repr(args[:2]))
    raise OSError("network disabled by the test")


socket.getaddrinfo = refuse
socket.create_connection = refuse
socket.socket.connect = lambda self, address: refuse(address)
'''


def environ_online() -> dict[str, str]:
    """This process's environment without any variable that puts the Hugging Face libraries offline."""
    offline = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")
    return {k: v for k, v in os.environ.items() if k not in offline}
