from django.db import migrations


def forwards(apps, schema_editor):
    from tremplin.territory.reference import load_communes, load_qpvs, load_rome_codes

    Commune = apps.get_model("territory", "Commune")
    load_communes(Commune)
    load_qpvs(Commune, apps.get_model("territory", "Qpv"))
    load_rome_codes(apps.get_model("territory", "RomeCode"))


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
