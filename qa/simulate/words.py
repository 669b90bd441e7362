"""Word lists the damage kinds need: function words a spinner leaves alone, and the pronoun flips."""

from __future__ import annotations

FUNCTION_WORDS = frozenset(
    """
    a an the this that these those such what which who whom whose whatever whichever whoever
    i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
    myself ourselves yourself yourselves himself herself itself themselves one ones
    be am is are was were been being have has had having do does did done doing
    will would shall should can could may might must ought need dare
    not no nor never only also too very so just even still yet already ever
    and or but if then than because since while whereas although though unless until till whether
    as at by for from in into of off on onto out over per to up upon with within without
    about above across after against along among amid around before behind below beneath beside
    besides between beyond despite down during except inside near outside past through throughout
    toward towards under underneath unlike via
    all any both each either every few many more most much neither other others several some
    another enough less least lot lots
    here there where when why how now again once twice
    there's it's let's
    """.split()
)

# he↔she, his→her, him→her, himself↔herself; "her" becomes "his" before a content word, else "him"
PRONOUN_FLIPS = {"he": "she", "she": "he", "his": "her", "him": "her", "himself": "herself", "herself": "himself", "hers": "his"}
