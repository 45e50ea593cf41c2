"""What the pages are made of: the editors' blocks (`blocks`), the navigation at a fixed cost
(`navigation`), share cards (`cards`), the site's feed (`feeds`), the site's own addresses
(`links`) and the demo content's loader (`demo`)."""
