"""Print the database's control totals (followup/totals.py), write them to a file or compare
them with a file written earlier, e.g. beside a backup, to see that a restore is complete."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from followup.management import files
from followup.totals import totals

MAX_FILE_BYTES = 10 * 1024 * 1024


def lines(values: dict[str, str]) -> str:
    """The totals as the command prints them: "label<TAB>value", one a line."""
    return "".join(f"{label}\t{value}\n" for label, value in values.items())


def write_totals(path: Path, values: dict[str, str]) -> None:
    files.write(path, lines(values))


def read_totals(path: Path) -> dict[str, str]:
    """A file of totals as written by ``totals --output`` (or by ``backup``)."""
    content = files.read_at_most(path, MAX_FILE_BYTES, too_large="en fil med kontrollsummor")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} är inte en fil med kontrollsummor (inte UTF-8).") from exc
    found = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, tab, value = line.partition("\t")
        if not tab:
            raise CommandError(
                f"{path}, rad {number}: ”{line[:80]}” är inte en kontrollsumma (rubrik, tabb, värde)."
            )
        found[label] = value
    if not found:
        raise CommandError(f"{path} innehåller inga kontrollsummor.")
    return found


def differences(earlier: dict[str, str], now: dict[str, str]) -> list[str]:
    """One Swedish line for each total that is not the same in both, in label order."""
    found = []
    for label in sorted(earlier.keys() | now.keys()):
        before, after = earlier.get(label), now.get(label)
        if before == after:
            continue
        if after is None:
            found.append(f"Kontrollsumman skiljer sig: {label}: {before} i filen, saknas nu.")
        elif before is None:
            found.append(f"Kontrollsumman skiljer sig: {label}: saknas i filen, {after} nu.")
        else:
            found.append(f"Kontrollsumman skiljer sig: {label}: {before} i filen, {after} nu.")
    return found


class Command(BaseCommand):
    help = (
        "Skriver databasens kontrollsummor: antal rader och exakta summor för budgetar, "
        "ramar, rapporter, åtgärder, omfördelningar, investeringar, bolag, bokslut, mål, "
        "historik och användare, en rad per summa (rubrik, tabb, värde). Med --compare "
        "jämförs de med en fil som skrivits tidigare, till exempel vid en säkerhetskopiering: "
        "så syns det att en återställning är fullständig."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", metavar="FIL", help="Skriv kontrollsummorna till filen i stället."
        )
        parser.add_argument(
            "--compare",
            metavar="FIL",
            help="Jämför med kontrollsummorna i filen; avslutar med fel om någon skiljer sig.",
        )

    def handle(self, *args, output, compare, **options):
        earlier = read_totals(Path(compare)) if compare else None
        values = totals()
        if output:
            write_totals(Path(output), values)
            self.stdout.write(f"{len(values)} kontrollsummor skrivna till {output}.")
        elif not compare:
            self.stdout.write(lines(values), ending="")
        if earlier is None:
            return
        found = differences(earlier, values)
        if found:
            for line in found:
                self.stderr.write(line)
            raise CommandError(
                f"{len(found)} av {len(earlier.keys() | values.keys())} kontrollsummor "
                f"skiljer sig från {compare}."
            )
        self.stdout.write(self.style.SUCCESS(f"Alla kontrollsummor stämmer ({len(values)} st)."))
