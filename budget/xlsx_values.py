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
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import CellCoordinatesException

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
                if type(value) is Decimal:  # an amount: the usual case, as it is
                    yield value
                elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
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


# --- Compiling ----------------------------------------------------------------------------
# A paper holds thousands of formulas of a few shapes: each activity row's deviation is
# the row before's with the row numbers moved on. A formula is read once per shape (its
# text with every row number written relative to the formula's own row) and compiled to
# a function of (workbook, sheet, row); the rows of that shape reuse it.

_DIGITS = re.compile(r"[0-9]+")


def _shape(formula: str, row: int):
    """The formula's shape: its text without its digits, and each run of digits as an
    offset from ``row``. Formulas of one shape are the same formula moved down, provided
    every run of digits is the row of a reference (``_compile`` checks that)."""
    return _DIGITS.sub("#", formula), tuple(int(n) - row for n in _DIGITS.findall(formula))


def _compile(node, row: int, rows: list):
    """``node`` of ``_Parser``'s tree as a function of (book, sheet, row): the references'
    rows relative to the formula's ``row``; each row number read is appended to ``rows``.
    The forms a paper writes on every row (IF, OR, a test of an empty cell, a difference)
    are functions of their own rather than a call through the general ones: the same
    result in fewer Python calls."""
    kind = node[0]
    if kind in ("num", "text", "bool"):
        value = node[1]
        return lambda book, sheet, at: value
    if kind == "ref":
        return _compile_reference(node[1], row, rows)
    if kind in ("neg", "pct"):
        operand = _compile(node[1], row, rows)
        if kind == "neg":
            return lambda book, sheet, at: -_number(operand(book, sheet, at))
        return lambda book, sheet, at: _number(operand(book, sheet, at)) / 100
    if kind == "op":
        return _compile_operator(node, row, rows)
    name = node[1]
    if name == "IF":
        return _compile_if(node[2], row, rows)
    if name in ("OR", "AND"):
        truths = [_compile_truth(a, row, rows) for a in node[2]]
        if len(truths) == 2:
            first, second = truths
            if name == "OR":
                return lambda book, sheet, at: first(book, sheet, at) or second(book, sheet, at)
            return lambda book, sheet, at: first(book, sheet, at) and second(book, sheet, at)
        combine = any if name == "OR" else all
        return lambda book, sheet, at: combine(t(book, sheet, at) for t in truths)
    args = [_compile(a, row, rows) for a in node[2]]
    function = FUNCTIONS[name]
    return lambda book, sheet, at: function(*(a(book, sheet, at) for a in args))


_COMPARISONS = frozenset(("=", "<>", "<", ">", "<=", ">="))


def _compile_truth(node, row: int, rows: list):
    """``node`` as a function giving its truth (``_truth``), as IF, OR and AND read their
    conditions; a comparison, OR and AND give True or False already."""
    function = _compile(node, row, rows)
    if (node[0] == "op" and node[1] in _COMPARISONS) or (
        node[0] == "call" and node[1] in ("OR", "AND")
    ):
        return function
    return lambda book, sheet, at: _truth(function(book, sheet, at))


def _compile_if(args, row: int, rows: list):
    """IF(condition, then, else): only the branch taken is worked out (``_if``)."""
    condition = _compile_truth(args[0], row, rows)
    rest = [_compile(a, row, rows) for a in args[1:]]
    then = rest[0] if rest else (lambda book, sheet, at: True)
    otherwise = rest[1] if len(rest) > 1 else (lambda book, sheet, at: False)
    return lambda book, sheet, at: (
        _single(then(book, sheet, at))
        if condition(book, sheet, at)
        else _single(otherwise(book, sheet, at))
    )


def _compile_operator(node, row: int, rows: list):
    op = node[1]
    left = _compile(node[2], row, rows)
    if op == "=" and node[3] == ("text", ""):
        # X="" (is the cell empty), as _equals gives it.
        def empty(book, sheet, at):
            value = left(book, sheet, at)
            if isinstance(value, Range):
                return _compare("=", value, "")
            return value is None or value == ""

        return empty
    right = _compile(node[3], row, rows)
    if op == "-":
        return lambda book, sheet, at: (
            _number(left(book, sheet, at)) - _number(right(book, sheet, at))
        )
    if op == "+":
        return lambda book, sheet, at: (
            _number(left(book, sheet, at)) + _number(right(book, sheet, at))
        )
    apply = _OPERATORS[op]
    return lambda book, sheet, at: apply(left(book, sheet, at), right(book, sheet, at))


def _compile_reference(text: str, row: int, rows: list):
    name, cells = _split_reference(text, None)
    first, _, last = cells.partition(":")
    try:
        min_col, min_row = coordinate_to_tuple(first)[::-1]
        max_col, max_row = coordinate_to_tuple(last)[::-1] if last else (min_col, min_row)
    except (ValueError, CellCoordinatesException):
        raise UnknownFormula(f"Okänd referens {text!r}") from None
    rows.append(min_row)
    if not last:
        offset = min_row - row
        return lambda book, sheet, at: book.value(name or sheet, at + offset, min_col)
    rows.append(max_row)
    top, bottom = min_row - row, max_row - row

    def cells_of(book, sheet, at):
        return book.range(name or sheet, at + top, at + bottom, min_col, max_col)

    return cells_of


def _divide(a, b):
    x, y = _number(a), _number(b)
    if y == 0:
        raise FormulaError("division med noll")
    return x / y


def _comparison(op):
    return lambda a, b: _compare(op, a, b)


def _equals(a, b):
    """a = b; a = "" (the test of an empty cell, on every row of a paper) directly, as
    ``_compare`` gives it (only an empty cell or "" equals "")."""
    if b == "" and isinstance(b, str) and not isinstance(a, Range):
        return a is None or a == ""
    return _compare("=", a, b)


_OPERATORS = {op: _comparison(op) for op in ("<>", "<", ">", "<=", ">=")} | {
    "=": _equals,
    "&": lambda a, b: f"{_text(a)}{_text(b)}",
    "+": lambda a, b: _number(a) + _number(b),
    "-": lambda a, b: _number(a) - _number(b),
    "*": lambda a, b: _number(a) * _number(b),
    "/": _divide,
    "^": lambda a, b: _number(a) ** _number(b),
}


# --- Evaluating -----------------------------------------------------------------------------


def _split_reference(text: str, sheet: str | None) -> tuple[str | None, str]:
    """("Sheet", "A1:B2") of "'Sheet'!$A$1:$B$2" (or of "A1" on the formula's own sheet)."""
    if "!" in text:
        name, cells = text.rsplit("!", 1)
        if name.startswith("'") and name.endswith("'"):
            name = name[1:-1].replace("''", "'")
        return name, cells.replace("$", "")
    return sheet, text.replace("$", "")


class _Workbook:
    """The values of an openpyxl workbook's cells, formulas computed once each, each
    shape of formula compiled once."""

    def __init__(self, wb):
        # openpyxl keeps a sheet's cells in ``_cells``, {(row, column): cell}; reading it
        # leaves the workbook as it is (ws.cell() and ws[...] add the empty cells they
        # are asked for).
        self.cells = {ws.title: ws._cells for ws in wb.worksheets}
        self.computed: dict[tuple[str, int, int], object] = {}
        self.busy: set[tuple[str, int, int]] = set()
        self.compiled: dict[tuple, object] = {}
        self.ranges: dict[tuple, Range] = {}

    def value(self, sheet: str, row: int, column: int):
        try:
            cell = self.cells[sheet].get((row, column))
        except KeyError:
            raise FormulaError(f"bladet {sheet!r} finns inte") from None
        if cell is None:
            return None
        if cell.data_type != "f":
            return cell.value
        key = (sheet, row, column)
        try:
            return self.computed[key]
        except KeyError:
            pass
        if key in self.busy:
            raise FormulaError(f"cirkelreferens i {sheet}!{cell.coordinate}")
        self.busy.add(key)
        try:
            value = _single(self.function(cell.value, row)(self, sheet, row))
        except FormulaError as error:
            if "!" in str(error):
                raise
            raise FormulaError(f"{error} i {sheet}!{cell.coordinate}: {cell.value}") from None
        self.busy.discard(key)
        # A formula that comes to an empty cell ("=B5" with B5 empty) shows 0.
        value = Decimal(0) if value is None else value
        self.computed[key] = value
        return value

    def range(self, sheet: str, first_row: int, last_row: int, first_column: int, last_column: int):
        """The values of a range's cells, row by row; read once per range (a total's COUNT
        and SUM read the same rows)."""
        key = (sheet, first_row, last_row, first_column, last_column)
        found = self.ranges.get(key)
        if found is not None:
            return found
        try:
            cells = self.cells[sheet]
        except KeyError:
            raise FormulaError(f"bladet {sheet!r} finns inte") from None
        values = []
        for r in range(first_row, last_row + 1):
            for c in range(first_column, last_column + 1):
                cell = cells.get((r, c))
                if cell is None:
                    values.append(None)
                elif cell.data_type != "f":
                    values.append(cell.value)
                else:
                    values.append(self.value(sheet, r, c))
        found = self.ranges[key] = Range(values)
        return found

    def function(self, formula: str, row: int):
        """The compiled formula: that of its shape, compiled from the first formula of
        the shape. A formula with a run of digits that is not a reference's row (a
        number, a sheet name) has no shape and is compiled on its own."""
        shape = _shape(formula, row)
        function = self.compiled.get(shape)
        if function is None:
            rows = []
            function = _compile(_Parser(formula).parse(), row, rows)
            if len(rows) == len(shape[1]):
                self.compiled[shape] = function
        return function


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
    with localcontext() as context:
        context.prec = PRECISION
        for ws in wb.worksheets:
            for (row, column), cell in book.cells[ws.title].items():
                if cell.data_type == "f":
                    values[(ws.title, cell.coordinate)] = book.value(ws.title, row, column)
    return values


# --- Storing --------------------------------------------------------------------------------

_FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*/></c>')
_SHEET = re.compile(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"')
_RELATION = re.compile(r'<Relationship [^>]*Id="([^"]*)"[^>]*Target="([^"]*)"')
_RELATION_REVERSED = re.compile(r'<Relationship [^>]*Target="([^"]*)"[^>]*Id="([^"]*)"')


def stored_text(value) -> tuple[str, str]:
    """(the cell's type attribute, the text of <v>) for a computed value: what
    ``store_values`` and budget.xlsx_saving write."""
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
    """The saved workbook ``content`` with each formula cell's computed value stored,
    compressed (``content`` may be saved uncompressed, to be compressed only here)."""
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
            item.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(item, data)
    return out.getvalue()


def _with_values(xml: str, cells: dict[str, object]) -> str:
    def put(match):
        coordinate, attributes, formula = match.groups()
        if coordinate not in cells:
            return match.group(0)
        kind, text = stored_text(cells[coordinate])
        return f'<c r="{coordinate}"{attributes}{kind}><f>{formula}</f><v>{text}</v></c>'

    return _FORMULA_CELL.sub(put, xml)
