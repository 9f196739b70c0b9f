"""`glue`: hand a value computed in a chapter to the text around it.

On the course site this is myst-nb's `glue` (the text quotes the value with `{glue:text}`). A
reader's notebook (Colab, a downloaded chapter) does not need the site's toolchain for that: there,
`glue` shows the value when asked to display it, as myst-nb's does, and otherwise does nothing.
"""

try:
    from myst_nb import glue
except ImportError:  # a reader's notebook, without the site's toolchain

    def glue(name, variable, display=True):
        """Show `variable` if `display`; the site's text would quote it as `name`."""
        if display:
            from IPython.display import display as show

            show(variable)


__all__ = ["glue"]
