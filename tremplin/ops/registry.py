from tremplin.core.modules import Module, modules

# No menu entry: a job page is reached from the page that started the job.
modules.register(Module(name="ops", label="Exploitation", order=900, access_test="tests.ops.access"))
