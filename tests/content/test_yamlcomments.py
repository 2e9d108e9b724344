"""A translator's comment follows its entry when a rewrite reorders entries (content/yamlcomments.py)."""

from __future__ import annotations

import yaml

from generator.content.yamlcomments import follow_entries

OLD = """sections:
  - id: expect
    blocks:
      - paragraph: intro
        text: A
      # note for b, line 1
      # line 2
      - paragraph: b
        text: B   # kept at the end of its line
  - id: safety
    blocks:
      # note for the second intro
      - paragraph: intro
        text: |
          # a line of text, not a comment
          C
"""


def test_a_comment_run_goes_back_above_its_entry_in_its_own_section() -> None:
    # What ruamel.yaml writes when the source puts b first: the run stays with the entry before it.
    new = OLD.replace("""      - paragraph: intro
        text: A
      # note for b, line 1
      # line 2
      - paragraph: b
        text: B   # kept at the end of its line
""", """      - paragraph: b
        text: B   # kept at the end of its line
      - paragraph: intro
        text: A
      # note for b, line 1
      # line 2
""")
    fixed = follow_entries(OLD, new)
    lines = fixed.splitlines()
    at = lines.index("      - paragraph: b")
    assert lines[at - 2:at] == ["      # note for b, line 1", "      # line 2"]
    note = lines.index("      # note for the second intro")
    assert lines[note - 1:note + 2] == ["    blocks:", "      # note for the second intro", "      - paragraph: intro"]
    assert yaml.safe_load(fixed) == yaml.safe_load(new)


def test_nothing_moves_when_the_entries_did_not() -> None:
    assert follow_entries(OLD, OLD) == OLD


def test_a_hash_line_inside_a_block_text_is_never_taken_for_a_comment() -> None:
    # The rewrite lost the note above the second intro (it does when the entry before is removed): the note is
    # put back above its entry, and the block text's line "# a line of text..." stays text, where it was.
    new = OLD.replace("      # note for the second intro\n", "")
    assert follow_entries(OLD, new) == OLD
