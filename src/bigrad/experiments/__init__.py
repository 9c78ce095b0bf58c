"""bigrad.experiments"""
