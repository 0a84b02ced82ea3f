"""Copy the provinces and districts of the geothai package into our tables (no network)."""

from django.db import migrations


def load(apps, schema_editor):
    import geothai

    from itas.geo.regions import REGIONS, region_of

    Region = apps.get_model("geo", "Region")
    Province = apps.get_model("geo", "Province")
    District = apps.get_model("geo", "District")
    for order, (code, name_th, name_en, _provinces) in enumerate(REGIONS):
        Region.objects.update_or_create(code=code, defaults={"name_th": name_th, "name_en": name_en, "order": order})
    districts = []
    for p in geothai.provinces():
        Province.objects.update_or_create(
            code=p.code, defaults={"name_th": p.name_th, "name_en": p.name_en, "region_id": region_of(p.code)}
        )
        for d in geothai.districts(p.code):
            districts.append(District(code=d.code, province_id=p.code, name_th=d.name_th, name_en=d.name_en))
    District.objects.bulk_create(districts, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
