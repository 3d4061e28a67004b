"""The demo data set (`manage.py demo`): the shared structures, users and people (this app), and each registered
module's demo builder (tremplin.core.modules). The entry points are in tremplin.demo.loader."""
