// the first version
