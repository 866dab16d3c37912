from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sentra.regions.services import RegionFileError, load_home_regency, load_regions


class Command(BaseCommand):
    help = (
        "Load a regency's kecamatan and desa/kelurahan. Without arguments loads the shipped Kabupaten Bekasi; "
        "otherwise give --regency, --kecamatan and --desa CSV files shaped like those in sentra/regions/data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regency", help="Kemendagri code such as 32.75")
        parser.add_argument("--name", help="Regency name, if not in the shipped list (e.g. 'Kota Bekasi')")
        parser.add_argument("--kecamatan", type=Path, help="CSV with columns code,name[,bps_code]")
        parser.add_argument("--desa", type=Path, help="CSV with columns code,name,kecamatan_code,type")

    def handle(self, *args, regency, name, kecamatan, desa, **options):
        try:
            if regency is None:
                result = load_home_regency()
            elif not (kecamatan and desa):
                raise CommandError("--regency needs both --kecamatan and --desa")
            else:
                result = load_regions(
                    regency_code=regency, regency_name=name, kecamatan_csv=kecamatan, desa_csv=desa
                )
        except RegionFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Regions: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
        )
