"""bigrad.gradients"""
