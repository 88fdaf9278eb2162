"""SHACL Core shapes run as SPARQL queries inside Oxigraph: pySHACL's results, in seconds at 20,000 actors.

Each constraint of a targeted shape becomes one query that returns only the focus nodes (and values)
that break it; nested shapes (``sh:node``, ``sh:or``, qualified value shapes) become ``EXISTS``
conditions. Only the constructs coopmap's shapes use are translated; any other raises
:class:`Unsupported`, and :mod:`graph.kb.validate` then falls back to pySHACL. ``tests/test_shapes.py``
checks that both engines report the same problems.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Result", "Unsupported", "ShapesProgram", "run_shapes"]

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: Datatypes whose lexical form is checked by casting the value to its own datatype.
_CASTABLE = {XSD + t for t in ("date", "dateTime", "gYear", "gYearMonth", "integer", "decimal", "double", "float",
                               "boolean", "time")}
#: Annotations that do not constrain anything.
_IGNORED = {SH + t for t in ("message", "name", "description", "order", "group", "severity", "targetClass",
                             "targetSubjectsOf", "targetObjectsOf", "targetNode", "path", "deactivated")} | {RDF + "type"}
_VALUE = {SH + t for t in ("class", "datatype", "node", "or", "and", "not", "languageIn", "minLength", "maxLength",
                           "nodeKind", "in", "pattern")}


class Unsupported(Exception):
    """The shapes use a construct this translator does not know: use pySHACL instead."""


@dataclass(frozen=True)
class Result:
    """One SHACL validation result: the focus node, the path, the constraint component, message, value."""

    focus: object
    path: str | None
    component: str
    message: str
    value: object = None


def _term(t) -> str:
    import pyoxigraph as ox

    if isinstance(t, ox.BlankNode):
        raise Unsupported("a blank node used as a value in a shape")
    return str(t)


class ShapesProgram:
    """The shapes of one file, translated to SPARQL."""

    def __init__(self, shapes_file: Path):
        import pyoxigraph as ox

        self.spo: dict = {}
        for t in ox.parse(path=str(shapes_file), format=ox.RdfFormat.TURTLE):
            self.spo.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
        self._n = itertools.count()

    # ------------------------------------------------------------------ reading the shapes graph

    def objects(self, s, p):
        return self.spo.get(s, {}).get(p, [])

    def value(self, s, p):
        objs = self.objects(s, p)
        return objs[0] if objs else None

    def items(self, head):
        out = []
        while head is not None and getattr(head, "value", None) != RDF + "nil":
            first = self.value(head, RDF + "first")
            if first is None:
                raise Unsupported("a malformed RDF list")
            out.append(first)
            head = self.value(head, RDF + "rest")
        return out

    def var(self) -> str:
        return f"?_v{next(self._n)}"

    def path(self, node) -> str:
        import pyoxigraph as ox

        if isinstance(node, ox.NamedNode):
            return str(node)
        if self.value(node, RDF + "first") is not None:
            return "(" + "/".join(self.path(p) for p in self.items(node)) + ")"
        inv = self.value(node, SH + "inversePath")
        if inv is not None:
            return f"^{self.path(inv)}"
        alt = self.value(node, SH + "alternativePath")
        if alt is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alt)) + ")"
        for key, op in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            inner = self.value(node, SH + key)
            if inner is not None:
                return f"({self.path(inner)}){op}"
        raise Unsupported("an unknown kind of property path")

    # ------------------------------------------------------------------ conditions (SPARQL expressions)

    def conforms(self, shape, x: str) -> str:
        """A SPARQL expression, true when the node ``x`` conforms to ``shape``."""
        parts = []
        for p, objs in self.spo.get(shape, {}).items():
            for o in objs:
                if p == SH + "property":
                    parts.append(self.property_ok(o, x))
                elif p == SH + "node":
                    parts.append(self.conforms(o, x))
                elif p in _VALUE or p == SH + "hasValue":
                    parts.append(f"sameTerm({x}, {_term(o)})" if p == SH + "hasValue" else self.value_ok(p, o, x))
                elif p not in _IGNORED:
                    raise Unsupported(f"{p} on a node shape")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def value_ok(self, component: str, arg, v: str) -> str:
        """True when the value ``v`` satisfies one value-type constraint."""
        c = component[len(SH):]
        if c == "class":
            return f"EXISTS {{ {v} a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {_term(arg)} }}"
        if c == "datatype":
            dt = arg.value
            test = f"(isLiteral({v}) && sameTerm(DATATYPE({v}), <{dt}>)"
            if dt in _CASTABLE:
                test += f" && COALESCE(isLiteral(<{dt}>(STR({v}))), false)"
            return test + ")"
        if c == "node":
            return self.conforms(arg, v)
        if c == "or":
            return "(" + " || ".join(self.conforms(s, v) for s in self.items(arg)) + ")"
        if c == "and":
            return "(" + " && ".join(self.conforms(s, v) for s in self.items(arg)) + ")"
        if c == "not":
            return f"!{self.conforms(arg, v)}"
        if c == "languageIn":
            langs = " || ".join(f"langMatches(LANG({v}), {_term(t)})" for t in self.items(arg))
            return f"(isLiteral({v}) && ({langs or 'false'}))"
        if c == "minLength":
            return f"(!isBlank({v}) && STRLEN(STR({v})) >= {int(arg.value)})"
        if c == "maxLength":
            return f"(!isBlank({v}) && STRLEN(STR({v})) <= {int(arg.value)})"
        if c == "pattern":
            return f"(!isBlank({v}) && REGEX(STR({v}), {_term(arg)}))"
        if c == "in":
            return "(" + " || ".join(f"sameTerm({v}, {_term(t)})" for t in self.items(arg)) + ")" if self.items(arg) else "false"
        if c == "nodeKind":
            kinds = {"IRI": "isIRI({v})", "Literal": "isLiteral({v})", "BlankNode": "isBlank({v})",
                     "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
                     "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))"}
            return kinds[arg.value[len(SH):]].format(v=v)
        raise Unsupported(component)

    def distinct(self, x: str, path: str, n: int):
        """A graph pattern binding ``n`` pairwise distinct values of ``x path``."""
        vs = [self.var() for _ in range(n)]
        pattern = " . ".join(f"{x} {path} {v}" for v in vs)
        diff = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2))
        return vs, pattern + (f" FILTER({diff})" if diff else "")

    def property_checks(self, prop, x: str):
        """``[(component, expression that is true when x satisfies it, value condition or None)]``."""
        path = self.path(self.value(prop, SH + "path"))
        checks = []
        qualified = self.value(prop, SH + "qualifiedValueShape")
        for p, objs in self.spo.get(prop, {}).items():
            for o in objs:
                c = p[len(SH):] if p.startswith(SH) else p
                if p in _IGNORED:
                    continue
                if c == "minCount":
                    n = int(o.value)
                    if n > 0:
                        _, pat = self.distinct(x, path, n)
                        checks.append(("MinCount", f"EXISTS {{ {pat} }}", None))
                elif c == "maxCount":
                    _, pat = self.distinct(x, path, int(o.value) + 1)
                    checks.append(("MaxCount", f"NOT EXISTS {{ {pat} }}", None))
                elif c == "hasValue":
                    v = self.var()
                    checks.append(("HasValue", f"EXISTS {{ {x} {path} {v} FILTER(sameTerm({v}, {_term(o)})) }}", None))
                elif c == "uniqueLang":
                    if o.value == "true":
                        a, b = self.var(), self.var()
                        checks.append(("UniqueLang", f"NOT EXISTS {{ {x} {path} {a} . {x} {path} {b} FILTER(!sameTerm({a}, {b}) "
                                                     f"&& LANG({a}) != \"\" && LCASE(LANG({a})) = LCASE(LANG({b}))) }}", None))
                elif c == "qualifiedMinCount":
                    n = int(o.value)
                    if qualified is None:
                        raise Unsupported("sh:qualifiedMinCount without sh:qualifiedValueShape")
                    if n > 0:
                        vs, pat = self.distinct(x, path, n)
                        cond = " && ".join(self.conforms(qualified, v) for v in vs)
                        checks.append(("QualifiedMinCount", f"EXISTS {{ {pat} FILTER({cond}) }}", None))
                elif c == "qualifiedValueShape":
                    continue
                elif p in _VALUE:
                    comp = {"class": "Class", "datatype": "Datatype", "node": "Node", "or": "Or", "and": "And",
                            "not": "Not", "languageIn": "LanguageIn", "minLength": "MinLength",
                            "maxLength": "MaxLength", "nodeKind": "NodeKind", "in": "In", "pattern": "Pattern"}[c]
                    checks.append((comp, None, (p, o)))
                else:
                    raise Unsupported(f"{p} on a property shape")
        return path, checks

    def property_ok(self, prop, x: str) -> str:
        path, checks = self.property_checks(prop, x)
        parts = []
        for _comp, expr, value in checks:
            if value is None:
                parts.append(expr)
            else:
                v = self.var()
                parts.append(f"NOT EXISTS {{ {x} {path} {v} FILTER(!{self.value_ok(value[0], value[1], v)}) }}")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    # ------------------------------------------------------------------ top level: one query per constraint

    def targets(self, shape) -> list[str]:
        out = []
        for c in self.objects(shape, SH + "targetClass"):
            out.append(f"?focus a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {_term(c)}")
        for p in self.objects(shape, SH + "targetSubjectsOf"):
            out.append(f"?focus {_term(p)} ?_any")
        for p in self.objects(shape, SH + "targetObjectsOf"):
            out.append(f"?_any {_term(p)} ?focus")
        for n in self.objects(shape, SH + "targetNode"):
            out.append(f"BIND({_term(n)} AS ?focus)")
        return out

    def queries(self):
        """``[(SPARQL SELECT returning ?focus [?value], path, component, message)]`` for every targeted shape."""
        out = []
        for shape in list(self.spo):
            targets = self.targets(shape)
            if not targets:
                continue
            where = "{ " + " } UNION { ".join(targets) + " }"
            self._shape_queries(shape, where, out, seen=set())
        return out

    def _shape_queries(self, shape, where, out, seen, message=None):
        if shape in seen:
            raise Unsupported("recursive shapes")
        seen = seen | {shape}
        msg = self.value(shape, SH + "message")
        msg = msg.value if msg is not None else message
        for p, objs in self.spo.get(shape, {}).items():
            for o in objs:
                if p == SH + "property":
                    self._property_queries(o, where, out)
                elif p == SH + "node":
                    self._shape_queries(o, where, out, seen)  # pySHACL reports the nested shape's own results
                elif p in _VALUE or p == SH + "hasValue":
                    cond = f"sameTerm(?focus, {_term(o)})" if p == SH + "hasValue" else self.value_ok(p, o, "?focus")
                    comp = p[len(SH):]
                    comp = comp[0].upper() + comp[1:]
                    out.append((f"SELECT DISTINCT ?focus WHERE {{ {where} FILTER(!{cond}) }}", None,
                                f"{comp}ConstraintComponent", msg or f"does not satisfy sh:{p[len(SH):]}"))
                elif p not in _IGNORED:
                    raise Unsupported(f"{p} on a node shape")

    def _property_queries(self, prop, where, out):
        path, checks = self.property_checks(prop, "?focus")
        msg = self.value(prop, SH + "message")
        path_node = self.value(prop, SH + "path")
        path_iri = path_node.value if type(path_node).__name__ == "NamedNode" else path
        for comp, expr, value in checks:
            text = msg.value if msg is not None else f"{comp} constraint on {path_iri}"
            if value is None:
                q = f"SELECT DISTINCT ?focus WHERE {{ {where} FILTER(!{expr}) }}"
            else:
                q = (f"SELECT DISTINCT ?focus ?value WHERE {{ {where} ?focus {path} ?value "
                     f"FILTER(!{self.value_ok(value[0], value[1], '?value')}) }}")
            out.append((q, path_iri, f"{comp}ConstraintComponent", text))


def run_shapes(store, shapes_file: Path) -> list[Result]:
    """Every SHACL result of ``shapes_file`` over the union of ``store``'s graphs.

    Raises
    ------
    Unsupported
        When the shapes use a construct outside the translated subset.
    """
    program = ShapesProgram(shapes_file)
    results = []
    for query, path, comp, msg in program.queries():
        for row in store.query(query, use_default_graph_as_union=True):
            value = row["value"] if "value" in query.split("WHERE", 1)[0] else None
            results.append(Result(row["focus"], path, comp, msg, value))
    return results
