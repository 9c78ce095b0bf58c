"""bigrad.torch"""
