"""Stored values: every formula the application writes also carries the value it computes.

A workbook keeps a formula's last computed value beside it (``<v>`` of the cell), and mail
and phone previews, simple readers and programs that read a file without recalculating
show only that value. openpyxl writes formulas without one (docs/decisions/0022). So when
a workbook is saved (``budget.xlsx.workbook_bytes``), ``computed_values`` works out each
formula from the cells the writer put in, and ``store_values`` writes the results into the
saved file. Excel and LibreOffice still recompute on opening; tests check that what is
stored equals what LibreOffice computes for every paper.

The formulas are the application's own, built by the writers (budget.xlsx,
budget.exports.formulas and the papers): references and ranges (also on other sheets),
numbers, text, + − * / and comparisons, and the functions in ``FUNCTIONS``. Anything else
raises ``UnknownFormula``: a writer that starts using a new function must add it here,
where the tests will hold it against LibreOffice. Arithmetic is exact (Decimal), as the
amounts are; Excel's rules for empty cells and text are followed (an empty cell is 0 in
arithmetic and "" in a comparison; SUM, COUNT and SUMIF pass over text).

openpyxl's own Tokenizer reads the formula text; only the evaluation is ours.
"""

import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal, localcontext
from io import BytesIO
from xml.sax.saxutils import escape

from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token
from openpyxl.utils.cell import range_boundaries

PRECISION = 40  # digits: far beyond a spreadsheet's 15, so nothing is rounded on the way


class UnknownFormula(ValueError):
    """A formula outside the application's dialect (a function or an operator not known here)."""


class FormulaError(ValueError):
    """What Excel shows as #VALUE! or #DIV/0!: the workbook itself is wrong."""


# --- Values -------------------------------------------------------------------------------


class Range:
    """The cells of a range (a list of values, row by row), as functions receive them."""

    def __init__(self, values):
        self.values = values


def _number(value):
    """A value as a number in arithmetic (Excel: an empty cell is 0, TRUE is 1)."""
    if isinstance(value, Range):
        if len(value.values) != 1:
            raise FormulaError("ett område används som ett tal")
        value = value.values[0]
    if value is None:
        return Decimal(0)
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    raise FormulaError(f"text används som ett tal: {value!r}")


def _single(value):
    if isinstance(value, Range):
        if len(value.values) != 1:
            raise FormulaError("ett område används som ett värde")
        return value.values[0]
    return value


def _numbers(args):
    """The numbers among the arguments: in a range only real numbers count (not text,
    empty cells or TRUE/FALSE), as SUM and COUNT take them."""
    for arg in args:
        if isinstance(arg, Range):
            for value in arg.values:
                if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    yield _number(value)
        else:
            yield _number(arg)


def _truth(value) -> bool:
    value = _single(value)
    if isinstance(value, str):
        raise FormulaError("text används som sant eller falskt")
    return _number(value) != 0


def _comparable(value):
    """(kind, key): Excel orders numbers before text before logicals; text without case."""
    value = _single(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, str):
        return (1, value.casefold())
    return (0, _number(value))


def _compare(op, left, right) -> bool:
    a, b = _comparable(left), _comparable(right)
    # An empty cell equals "" and 0 and FALSE: it takes the other side's kind.
    if a is None and b is None:
        a = b = (0, Decimal(0))
    elif a is None:
        a = {0: (0, Decimal(0)), 1: (1, ""), 2: (2, False)}[b[0]]
    elif b is None:
        b = {0: (0, Decimal(0)), 1: (1, ""), 2: (2, False)}[a[0]]
    return {
        "=": a == b,
        "<>": a != b,
        "<": a < b,
        ">": a > b,
        "<=": a <= b,
        ">=": a >= b,
    }[op]


_CRITERION = re.compile(r"^(<>|<=|>=|=|<|>)?(.*)$", re.DOTALL)


def _matches(value, criterion) -> bool:
    """SUMIF's test of one cell: a criterion such as "<>Avbruten", ">0" or a plain value."""
    criterion = _single(criterion)
    if isinstance(criterion, str):
        op, text = _CRITERION.match(criterion).groups()
        op = op or "="
        try:
            target = Decimal(text) if text.strip() else text
        except ArithmeticError:
            target = text
        if isinstance(target, Decimal) and not isinstance(value, int | float | Decimal):
            return op == "<>"
        if isinstance(target, str) and isinstance(value, int | float | Decimal):
            return op == "<>"
        return _compare(op, value, target)
    return _compare("=", value, criterion)


def _sum(*args):
    return sum(_numbers(args), Decimal(0))


def _count(*args):
    return Decimal(sum(1 for _ in _numbers([a for a in args if isinstance(a, Range)])))


def _sumif(criteria_range, criterion, sum_range=None):
    if sum_range is None:
        sum_range = criteria_range
    total = Decimal(0)
    for value, addend in zip(criteria_range.values, sum_range.values, strict=True):
        if _matches(value, criterion) and isinstance(addend, int | float | Decimal):
            total += _number(addend)
    return total


def _round(value, digits):
    places = int(_number(digits))
    return _number(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _abs(value):
    return abs(_number(value))


FUNCTIONS = {
    "SUM": _sum,
    "COUNT": _count,
    "SUMIF": _sumif,
    "ROUND": _round,
    "ABS": _abs,
}
LAZY_FUNCTIONS = {"IF", "OR", "AND"}


# --- Parsing --------------------------------------------------------------------------------

# Binding power of the infix operators (Excel: comparison < & < + − < * / < ^).
INFIX = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3}
INFIX |= {"*": 4, "/": 4, "^": 5}
PREFIX_POWER = 6


class _Parser:
    """Formula tokens to a tree of tuples: ("num", Decimal), ("text", str), ("bool", b),
    ("ref", text), ("neg", x), ("pct", x), ("op", op, a, b), ("call", NAME, [args])."""

    def __init__(self, formula: str):
        self.formula = formula
        self.tokens = [t for t in Tokenizer(formula).items if t.type not in (Token.WSPACE,)]
        self.i = 0

    def parse(self):
        tree = self.expression(0)
        if self.i != len(self.tokens):
            raise UnknownFormula(f"Formeln kan inte läsas: {self.formula}")
        return tree

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self):
        token = self.peek()
        if token is None:
            raise UnknownFormula(f"Formeln tar slut för tidigt: {self.formula}")
        self.i += 1
        return token

    def expression(self, power):
        left = self.prefix()
        while True:
            token = self.peek()
            if token is None:
                return left
            if token.type == Token.OP_POST and token.value == "%":
                self.take()
                left = ("pct", left)
                continue
            if token.type != Token.OP_IN or INFIX.get(token.value, 0) <= power:
                if token.type == Token.OP_IN and token.value not in INFIX:
                    raise UnknownFormula(f"Okänd operator {token.value!r} i {self.formula}")
                return left
            self.take()
            right = self.expression(INFIX[token.value])
            left = ("op", token.value, left, right)

    def prefix(self):
        token = self.take()
        if token.type == Token.OP_PRE:
            operand = self.expression(PREFIX_POWER)
            return ("neg", operand) if token.value == "-" else operand
        if token.type == Token.OPERAND:
            if token.subtype == Token.NUMBER:
                return ("num", Decimal(token.value))
            if token.subtype == Token.TEXT:
                return ("text", token.value[1:-1].replace('""', '"'))
            if token.subtype == Token.LOGICAL:
                return ("bool", token.value.upper() == "TRUE")
            if token.subtype == Token.RANGE:
                return ("ref", token.value)
            raise UnknownFormula(f"Okänt värde {token.value!r} i {self.formula}")
        if token.type == Token.PAREN and token.subtype == Token.OPEN:
            inner = self.expression(0)
            self.expect(Token.PAREN)
            return inner
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name = token.value[:-1].upper()
            if name not in FUNCTIONS and name not in LAZY_FUNCTIONS:
                raise UnknownFormula(f"Okänd funktion {name} i {self.formula}")
            args = []
            if not (self.peek().type == Token.FUNC and self.peek().subtype == Token.CLOSE):
                args.append(self.expression(0))
                while self.peek().type == Token.SEP:
                    self.take()
                    args.append(self.expression(0))
            self.expect(Token.FUNC)
            return ("call", name, args)
        raise UnknownFormula(f"Oväntat {token.value!r} i {self.formula}")

    def expect(self, kind):
        token = self.take()
        if token.type != kind or token.subtype != Token.CLOSE:
            raise UnknownFormula(f"Parentesen stängs inte i {self.formula}")


# --- Evaluating -----------------------------------------------------------------------------


def _split_reference(text: str, sheet: str) -> tuple[str, str]:
    """("Sheet", "A1:B2") of "'Sheet'!$A$1:$B$2" (or of "A1" on the formula's own sheet)."""
    if "!" in text:
        name, cells = text.rsplit("!", 1)
        if name.startswith("'") and name.endswith("'"):
            name = name[1:-1].replace("''", "'")
        return name, cells.replace("$", "")
    return sheet, text.replace("$", "")


class _Workbook:
    """The values of an openpyxl workbook's cells, formulas computed once each."""

    def __init__(self, wb):
        self.wb = wb
        self.computed: dict[tuple[str, str], object] = {}
        self.busy: set[tuple[str, str]] = set()

    def value(self, sheet: str, coordinate: str):
        ws = self.wb[sheet]
        cell = ws[coordinate]
        if cell.data_type != "f":
            return cell.value
        key = (sheet, coordinate)
        if key not in self.computed:
            if key in self.busy:
                raise FormulaError(f"cirkelreferens i {sheet}!{coordinate}")
            self.busy.add(key)
            try:
                self.computed[key] = self.formula(sheet, cell.value)
            except FormulaError as error:
                if "!" in str(error):
                    raise
                raise FormulaError(f"{error} i {sheet}!{coordinate}: {cell.value}") from None
            self.busy.discard(key)
        return self.computed[key]

    def formula(self, sheet: str, text: str):
        with localcontext() as context:
            context.prec = PRECISION
            value = _single(self.evaluate(_Parser(text).parse(), sheet))
        # A formula that comes to an empty cell ("=B5" with B5 empty) shows 0.
        return Decimal(0) if value is None else value

    def reference(self, text: str, sheet: str):
        name, cells = _split_reference(text, sheet)
        if ":" not in cells:
            return self.value(name, cells)
        min_col, min_row, max_col, max_row = range_boundaries(cells)
        ws = self.wb[name]
        return Range(
            [
                self.value(name, ws.cell(row=r, column=c).coordinate)
                for r in range(min_row, max_row + 1)
                for c in range(min_col, max_col + 1)
            ]
        )

    def evaluate(self, node, sheet):
        kind = node[0]
        if kind in ("num", "text", "bool"):
            return node[1]
        if kind == "ref":
            return self.reference(node[1], sheet)
        if kind == "neg":
            return -_number(self.evaluate(node[1], sheet))
        if kind == "pct":
            return _number(self.evaluate(node[1], sheet)) / 100
        if kind == "op":
            return self.operator(node[1], node[2], node[3], sheet)
        name, args = node[1], node[2]
        if name == "IF":
            condition = _truth(self.evaluate(args[0], sheet))
            if condition:
                return _single(self.evaluate(args[1], sheet)) if len(args) > 1 else True
            return _single(self.evaluate(args[2], sheet)) if len(args) > 2 else False
        if name == "OR":
            return any(_truth(self.evaluate(a, sheet)) for a in args)
        if name == "AND":
            return all(_truth(self.evaluate(a, sheet)) for a in args)
        return FUNCTIONS[name](*(self.evaluate(a, sheet) for a in args))

    def operator(self, op, left, right, sheet):
        a, b = self.evaluate(left, sheet), self.evaluate(right, sheet)
        if op in ("=", "<>", "<", ">", "<=", ">="):
            return _compare(op, a, b)
        if op == "&":
            return f"{_text(a)}{_text(b)}"
        x, y = _number(a), _number(b)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "/":
            if y == 0:
                raise FormulaError("division med noll")
            return x / y
        return x**y


def _text(value) -> str:
    value = _single(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def computed_values(wb) -> dict[tuple[str, str], object]:
    """(sheet title, coordinate) → the computed value of every formula cell of ``wb``:
    a Decimal, a str ("" where the formula leaves the cell empty) or a bool."""
    book = _Workbook(wb)
    values = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    values[(ws.title, cell.coordinate)] = book.value(ws.title, cell.coordinate)
    return values


# --- Storing --------------------------------------------------------------------------------

_FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*/></c>')
_SHEET = re.compile(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"')
_RELATION = re.compile(r'<Relationship [^>]*Id="([^"]*)"[^>]*Target="([^"]*)"')
_RELATION_REVERSED = re.compile(r'<Relationship [^>]*Target="([^"]*)"[^>]*Id="([^"]*)"')


def _stored(value) -> tuple[str, str]:
    """(the cell's type attribute, the text of <v>) for a computed value."""
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, str):
        return ' t="str"', escape(value)
    return "", _number_text(Decimal(value))


def _number_text(value: Decimal) -> str:
    """A number as <v> holds it: its exact digits, without exponent or trailing zeros
    ("-1207.5", "0.0049", "100")."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _unescape_attribute(text: str) -> str:
    return (
        text.replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def _sheet_parts(archive) -> dict[str, str]:
    """sheet title → the zip entry of its XML, from the workbook and its relations."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    relations = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(_RELATION.findall(relations))
    targets |= {rid: target for target, rid in _RELATION_REVERSED.findall(relations)}
    parts = {}
    for name, rid in _SHEET.findall(workbook):
        target = targets[rid].lstrip("/")
        parts[_unescape_attribute(name)] = target if target.startswith("xl/") else f"xl/{target}"
    return parts


def store_values(content: bytes, values: dict[tuple[str, str], object]) -> bytes:
    """The saved workbook ``content`` with each formula cell's computed value stored."""
    by_sheet: dict[str, dict[str, object]] = {}
    for (sheet, coordinate), value in values.items():
        by_sheet.setdefault(sheet, {})[coordinate] = value
    source = zipfile.ZipFile(BytesIO(content))
    parts = {part: by_sheet.get(title, {}) for title, part in _sheet_parts(source).items()}
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            cells = parts.get(item.filename)
            if cells:
                data = _with_values(data.decode("utf-8"), cells).encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def _with_values(xml: str, cells: dict[str, object]) -> str:
    def put(match):
        coordinate, attributes, formula = match.groups()
        if coordinate not in cells:
            return match.group(0)
        kind, text = _stored(cells[coordinate])
        return f'<c r="{coordinate}"{attributes}{kind}><f>{formula}</f><v>{text}</v></c>'

    return _FORMULA_CELL.sub(put, xml)
