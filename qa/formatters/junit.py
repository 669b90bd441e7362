"""JUnit XML: one test case per article, failed when it has findings at or above ``--fail-on``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO

from qa.model import ArticleResult, Report, Severity, fails


def finding_lines(result: ArticleResult, at_least: Severity | None) -> list[str]:
    """``line:col severity rule message [→ suggestion]`` for the article's findings at or above a severity."""
    lines = []
    for issue in result.issues:
        if at_least is None or fails(issue, at_least):
            line, col = result.article.position(issue.field, issue.start)
            hint = f" → {issue.suggestions[0]}" if issue.suggestions else ""
            lines.append(f"{line}:{col} {issue.severity.label} {issue.rule} {issue.message}{hint}")
    return lines


def testcase(result: ArticleResult, fail_on: Severity | None) -> ET.Element:
    """The test case of one article: an error when it could not be fully read, a failure when it fails the gate."""
    article = result.article
    case = ET.Element("testcase", classname=article.source, name=article.title.strip() or article.id, time="0")
    case.set("file", article.source)
    failing = [i for i in result.issues if fails(i, fail_on)]
    if article.errors:
        error = ET.SubElement(case, "error", type="input", message=article.errors[0])
        error.text = "\n".join(article.errors)
    if failing:
        worst = max(i.severity for i in failing).label
        message = f"{len(failing)} finding(s) at or above {fail_on.label if fail_on else 'never'} (worst: {worst}); " \
                  f"penalty {result.penalty:g}, verdict {result.verdict.value}"
        failure = ET.SubElement(case, "failure", type=worst, message=message)
        failure.text = "\n".join(finding_lines(result, fail_on))
    properties = ET.SubElement(case, "properties")
    for name, value in (("id", article.id), ("verdict", result.verdict.value), ("penalty", f"{result.penalty:g}"),
                        ("findings", str(len(result.issues)))):
        ET.SubElement(properties, "property", name=name, value=value)
    if result.issues:
        ET.SubElement(case, "system-out").text = "\n".join(finding_lines(result, None))
    return case


def junit_tree(report: Report, fail_on: Severity | None) -> ET.ElementTree[ET.Element]:
    """The whole report as ``<testsuites><testsuite>…`` with one test case per article (and per unreadable input)."""
    cases = [testcase(result, fail_on) for result in report.articles]
    for error in report.input_errors:
        case = ET.Element("testcase", classname=error.source, name=error.source, time="0")
        ET.SubElement(case, "error", type="input", message=error.message).text = error.message
        cases.append(case)
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for c in cases if c.find("failure") is not None)),
        "errors": str(sum(1 for c in cases if c.find("error") is not None)),
    }
    root = ET.Element("testsuites", {"name": "qa", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "qa", **counts, "skipped": "0", "time": "0"})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="version", value=report.tool.version)
    ET.SubElement(properties, "property", name="signature", value=report.tool.signature)
    ET.SubElement(properties, "property", name="fail-on", value=fail_on.label if fail_on else "never")
    suite.extend(cases)
    return ET.ElementTree(root)


class JunitFormatter:
    """JUnit XML for CI test dashboards."""

    def write(self, report: Report, stream: IO[str], fail_on: Severity | None) -> None:
        """Write the XML document."""
        tree = junit_tree(report, fail_on)
        ET.indent(tree)
        root = tree.getroot()
        assert root is not None
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        stream.write(ET.tostring(root, encoding="unicode"))
        stream.write("\n")
