#!/usr/bin/env bash
# Compiles a LaTeX document citing every paper of a database, once with BibTeX (natbib,
# plainnat.bst) and once with biblatex and biber, and fails on any error or warning from
# latex, bibtex or biber. Usage: .ci/latex_check.sh HFTLIST DB_DIR [--allow-empty-author]
# With --allow-empty-author, BibTeX's "empty author" warnings (records whose authors are not
# filled in yet) are counted and printed but do not fail the check.
# Needs: latex, bibtex, biber, natbib and biblatex (Debian: texlive-latex-base,
# texlive-bibtex-extra, biber; installed by .ci/run).
set -euo pipefail
hftlist=$(realpath "$1")
db=$(realpath "$2")
allow_empty_author=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0

"$hftlist" --db "$db" export --format bibtex -o refs.bib
cat > bibtex.tex <<'TEX'
\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{url}
\usepackage[numbers]{natbib}
\begin{document}
\nocite{*}
\bibliographystyle{plainnat}
\bibliography{refs}
\end{document}
TEX
latex -interaction=nonstopmode bibtex.tex > /dev/null || true
bibtex bibtex > bibtex.out 2>&1 || true
latex -interaction=nonstopmode bibtex.tex > /dev/null || true
latex -interaction=nonstopmode bibtex.tex > /dev/null || true
entries=$(grep -c '^@' refs.bib)
items=$(grep -c '\\bibitem' bibtex.bbl || true)
warnings=$(grep -c 'Warning--' bibtex.blg || true)
if [ "$allow_empty_author" = --allow-empty-author ]; then
  empty=$(grep -c 'Warning--empty author' bibtex.blg || true)
  echo "bibtex: $empty \"empty author\" warnings (records without authors yet; allowed)"
  warnings=$((warnings - empty))
elif [ -n "$allow_empty_author" ]; then
  echo "unknown option $allow_empty_author" >&2
  exit 2
fi
errors=$(grep -cE '^! |^l\.[0-9]+ ' bibtex.log || true)
echo "bibtex: $entries entries, $items references, $warnings bibtex warnings, $errors latex errors"
if [ "$warnings" != 0 ] || [ "$errors" != 0 ] || [ "$items" != "$entries" ] \
  || grep -q 'Warning: Citation\|There were undefined references' bibtex.log; then
  grep 'Warning--' bibtex.blg | grep -v 'empty author' | head -20 || true
  grep -A3 -E '^! ' bibtex.log | head -40 || true
  fail=1
fi

"$hftlist" --db "$db" export --format biblatex -o refs-biblatex.bib
cat > biber.tex <<'TEX'
\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage[backend=biber]{biblatex}
\addbibresource{refs-biblatex.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
TEX
latex -interaction=nonstopmode biber.tex > /dev/null || true
biber biber > biber.out 2>&1 || true
latex -interaction=nonstopmode biber.tex > /dev/null || true
items=$(grep -c '\\entry{' biber.bbl || true)
warnings=$(grep -cE 'WARN|ERROR' biber.blg || true)
errors=$(grep -cE '^! ' biber.log || true)
echo "biber: $items references, $warnings biber warnings or errors, $errors latex errors"
if [ "$warnings" != 0 ] || [ "$errors" != 0 ] || [ "$items" != "$entries" ]; then
  grep -E 'WARN|ERROR' biber.blg | head -20 || true
  grep -A3 -E '^! ' biber.log | head -40 || true
  fail=1
fi
exit $fail
