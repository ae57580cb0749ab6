"""The value constraints of SHACL Core as checks: value type, range, string, ``sh:in``, ``sh:hasValue`` and the
property pairs (a mix-in of ``compiler.Compiler``, which supplies the paths, variables and nested shapes)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from kgtool.validation.compiled import literals, patterns
from kgtool.validation.compiled.check import NODE_KINDS, RANGES, Check
from kgtool.validation.compiled.errors import Unsupported
from kgtool.validation.compiled.model import RDF, RDFS, SH, Shape, Term


class ValueComponents:
    """``_<parameter>(shape, focus, values)`` for each value constraint: the checks it makes."""

    def _class(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        for cls in values:
            instance = f"<{RDF}type>/<{RDFS}subClassOf>* {literals.term(cls)}"
            if self._stack:  # inside another shape: a test per node
                yield self._each_value(shape, focus, "class", lambda v, i=instance: f"NOT EXISTS {{ {v} {i} }}")
                continue
            # At the top level the instances are found once and taken away from the values (an anti-join).
            value, pattern = self._value_or_focus(shape, focus)
            yield Check("class", f"{pattern} MINUS {{ {value} {instance} }}", value)

    def _datatype(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        if len(values) != 1 or not isinstance(values[0], ox.NamedNode):
            raise Unsupported("sh:datatype must have one IRI")
        test = literals.datatype_ok("{v}", values[0].value)
        yield self._each_value(shape, focus, "datatype", lambda v: "!" + test.replace("{v}", v))

    def _nodeKind(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        kind = values[0].value.removeprefix(SH) if len(values) == 1 else ""
        if kind not in NODE_KINDS:
            raise Unsupported("sh:nodeKind")
        yield self._each_value(shape, focus, "nodeKind", lambda v: "!" + NODE_KINDS[kind].format(v=v))

    def _range(self, shape: Shape, focus: str, values: list[Term], name: str) -> Iterator[Check]:
        for bound in values:
            if not isinstance(bound, ox.Literal):
                raise Unsupported(f"sh:{name} must be a literal")
            test = literals.compare_ok("{v}", bound, RANGES[name])
            yield self._each_value(shape, focus, name, lambda v, t=test: "!" + t.replace("{v}", v))

    def _minExclusive(self, shape, focus, values):
        return self._range(shape, focus, values, "minExclusive")

    def _minInclusive(self, shape, focus, values):
        return self._range(shape, focus, values, "minInclusive")

    def _maxExclusive(self, shape, focus, values):
        return self._range(shape, focus, values, "maxExclusive")

    def _maxInclusive(self, shape, focus, values):
        return self._range(shape, focus, values, "maxInclusive")

    def _minLength(self, shape, focus, values):
        length = self._integer(values, "minLength")
        if length > 0:
            yield self._each_value(
                shape, focus, "minLength", lambda v: f"(isBlank({v}) || STRLEN(STR({v})) < {length})"
            )

    def _maxLength(self, shape, focus, values):
        length = self._integer(values, "maxLength")
        yield self._each_value(shape, focus, "maxLength", lambda v: f"(isBlank({v}) || STRLEN(STR({v})) > {length})")

    def _pattern(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        flags = shape.values("flags")
        flag_text = flags[0].value if flags else ""
        for pattern in values:
            if not isinstance(pattern, ox.Literal):
                raise Unsupported("sh:pattern must be a literal")
            regex, regex_flags = patterns.translate(pattern.value, flag_text)
            call = f"REGEX(STR({{v}}), {literals.q(regex)}, {literals.q(regex_flags)})"
            yield self._each_value(
                shape, focus, "pattern", lambda v, c=call: f"(isBlank({v}) || !{c.replace('{v}', v)})"
            )

    def _languageIn(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        if len(values) != 1:
            raise Unsupported("several sh:languageIn lists")
        try:
            tags = [t.value.lower() for t in self.graph.items(values[0]) if isinstance(t, ox.Literal)]
        except ValueError as error:
            raise Unsupported(str(error)) from error
        wanted = ", ".join(literals.q(t) for t in tags)

        def bad(v: str) -> str:
            if "*" in tags:
                return f'!(isLiteral({v}) && lang({v}) != "")'
            primary = f'LCASE(STRBEFORE(CONCAT(lang({v}), "-"), "-"))'
            return (
                f'!(isLiteral({v}) && lang({v}) != "" && (LCASE(lang({v})) IN ({wanted}) || {primary} IN ({wanted})))'
            )

        yield self._each_value(shape, focus, "languageIn", bad)

    def _uniqueLang(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        if len(values) != 1:
            raise Unsupported("several sh:uniqueLang values")
        if values[0].value != "true" or not shape.is_property:
            return
        value, lang = self.fresh("u"), self.fresh("lang")
        grouped = (
            f"SELECT {focus} {lang} WHERE {{ {self.value_pattern(shape, focus, value)} "
            f'FILTER (isLiteral({value}) && lang({value}) != "") BIND (LCASE(lang({value})) AS {lang}) }} '
            f"GROUP BY {focus} {lang} HAVING (COUNT(DISTINCT {value}) > 1)"
        )
        body = f"{{ {grouped} }}" if not self._stack else f"FILTER EXISTS {{ {grouped} }}"
        yield Check("uniqueLang", body, None, (lang,) if not self._stack else ())

    def _in(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        members: list[Term] = []
        for head in values:
            try:
                members += self.graph.items(head)
            except ValueError as error:
                raise Unsupported(str(error)) from error

        def bad(v: str) -> str:
            tests = []
            iris = [m for m in members if isinstance(m, ox.NamedNode)]
            if iris:
                tests.append(f"{v} IN ({', '.join(str(m) for m in iris)})")
            if any(isinstance(m, ox.BlankNode) for m in members):
                raise Unsupported("a blank node in sh:in")
            groups: dict[tuple[str, str | None], list[str]] = {}
            for m in members:
                if isinstance(m, ox.Literal):
                    groups.setdefault((m.datatype.value, m.language), []).append(m.value)
            for (datatype, language), lexicals in groups.items():
                kind = f"lang({v}) = {literals.q(language)}" if language else f"datatype({v}) = <{datatype}>"
                lexical = ", ".join(literals.q(x) for x in lexicals)
                tests.append(f'(isLiteral({v}) && {kind} && lang({v}) = "{language or ""}" && STR({v}) IN ({lexical}))')
            return "!(" + (" || ".join(tests) or "false") + ")"

        yield self._each_value(shape, focus, "in", bad)

    def _hasValue(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        for wanted in values:
            text = literals.term(wanted)
            if shape.is_property:
                yield Check("hasValue", f"FILTER NOT EXISTS {{ {self.value_pattern(shape, focus, text)} }}", None)
            else:
                yield Check("hasValue", f"FILTER (!sameTerm({focus}, {text}))", None)

    def _pair(self, shape: Shape, values: list[Term], name: str) -> list[str]:
        if not all(isinstance(v, ox.NamedNode) for v in values):
            raise Unsupported(f"sh:{name} must name a property")
        return [str(v) for v in values]

    def _equals(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        for other in self._pair(shape, values, "equals"):
            value, pattern = self._value_or_focus(shape, focus)
            yield Check("equals", f"{pattern} FILTER NOT EXISTS {{ {focus} {other} {value} }}", value)
            compared = self.fresh()
            if shape.is_property:
                missing = f"FILTER NOT EXISTS {{ {self.value_pattern(shape, focus, compared)} }}"
            else:
                missing = f"FILTER (!sameTerm({compared}, {focus}))"
            yield Check("equals", f"{focus} {other} {compared} . {missing}", compared)

    def _disjoint(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        for other in self._pair(shape, values, "disjoint"):
            value, pattern = self._value_or_focus(shape, focus)
            yield Check("disjoint", f"{pattern} {focus} {other} {value} .", value)

    def _lessThan(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        yield from self._less(shape, focus, values, "lessThan", "<")

    def _lessThanOrEquals(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        yield from self._less(shape, focus, values, "lessThanOrEquals", "<=")

    def _less(self, shape: Shape, focus: str, values: list[Term], name: str, op: str) -> Iterator[Check]:
        for other in self._pair(shape, values, name):
            value, pattern = self._value_or_focus(shape, focus)
            compared = self.fresh()
            holds = literals.less_ok(value, compared, op)
            body = (
                f"{pattern} {focus} {other} {compared} . FILTER (isBlank({value}) || isBlank({compared}) || !{holds})"
            )
            yield Check(name, body, value, (compared,))

    def _closed(self, shape: Shape, focus: str, values: list[Term]) -> Iterator[Check]:
        if len(values) != 1 or values[0].value != "true":
            return
        allowed: list[str] = []
        for child in shape.values("property"):
            child_path = self.graph.objects(child, SH + "path")
            if child_path and isinstance(child_path[0], ox.NamedNode):
                allowed.append(str(child_path[0]))
        for head in shape.values("ignoredProperties"):
            allowed += [str(m) for m in self._members(head) if isinstance(m, ox.NamedNode)]
        value, pattern = self._value_or_focus(shape, focus)
        predicate, obj = self.fresh("p"), self.fresh("o")
        test = f"FILTER ({predicate} NOT IN ({', '.join(allowed)}))" if allowed else ""
        keys = (value,) if value != focus else ()
        yield Check("closed", f"{pattern} {value} {predicate} {obj} . {test}", obj, keys, predicate)
