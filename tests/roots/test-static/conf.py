# A book whose static file changes while no page does.
extensions = ["course_build.ext.sphinx7_fixes"]
html_static_path = ["assets"]
