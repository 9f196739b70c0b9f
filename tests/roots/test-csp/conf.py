# A page whose content carries code of its own: raw HTML in the prose, and a cell's HTML output.
extensions = ["myst_nb", "course_build.ext.csp"]
root_doc = "ch1"
nb_execution_mode = "force"
